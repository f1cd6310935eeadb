export * from './fake-http-server.js';
export * from './mastodon.fake.js';
export * from './oauth-grants.js';
export * from './bluesky.fake.js';
export * from './x.fake.js';
export * from './linkedin.fake.js';
export * from './webhook-sink.fake.js';
