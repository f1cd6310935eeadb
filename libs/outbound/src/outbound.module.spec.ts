import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { ConfigModule, loadConfig } from '@sharepool/config';
import { OutboundHttp } from './outbound-http.js';
import { OutboundAddressRefusedError } from './outbound.errors.js';
import { OutboundModule } from './outbound.module.js';

let server: Server;
let url: string;
const dataDir = mkdtempSync(join(tmpdir(), 'sharepool-outbound-'));

beforeAll(async () => {
  server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<title>ok</title>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

async function outboundWith(allowPrivate: string): Promise<{ http: OutboundHttp; close: () => Promise<void> }> {
  const config = loadConfig({ DATA_DIR: dataDir, OUTBOUND_ALLOW_PRIVATE: allowPrivate });
  const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), OutboundModule] }).compile();
  return { http: moduleRef.get(OutboundHttp), close: () => moduleRef.close() };
}

describe('OutboundModule', () => {
  it('refuses private addresses by default', async () => {
    const { http, close } = await outboundWith('false');
    await expect(http.fetch(url)).rejects.toThrow(OutboundAddressRefusedError);
    await close();
  });

  it('lets private addresses through when OUTBOUND_ALLOW_PRIVATE is true', async () => {
    const { http, close } = await outboundWith('true');
    expect((await http.fetch(url, { accept: 'html' })).text()).toBe('<title>ok</title>');
    await close();
  });
});
