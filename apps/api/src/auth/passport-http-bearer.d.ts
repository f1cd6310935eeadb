// passport-http-bearer ships no types; this is the part Sharepool uses.
declare module 'passport-http-bearer' {
  import { Strategy as PassportStrategy } from 'passport-strategy';
  export class Strategy extends PassportStrategy {
    constructor(
      options: { realm?: string; scope?: string | string[] },
      verify: (token: string, done: (error: unknown, user?: unknown) => void) => void,
    );
    name: string;
  }
}
