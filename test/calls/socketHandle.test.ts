import { AsyncLocalStorage, executionAsyncId } from 'node:async_hooks';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { moveHandleHere } from '../../src/calls/socketHandle.ts';

const storage = new AsyncLocalStorage<string>();

test('a moved handle runs its later reads, their timers and promises in the frame it was moved in; the socket takes its new async id', async () => {
  const seen: Array<string | undefined> = [];
  let moved: number | undefined;
  const idsInReads: number[] = [];
  let ids: [unknown, number] | undefined;
  const server = net.createServer((socket) => {
    socket.on('data', () => {
      seen.push(storage.getStore());
      idsInReads.push(executionAsyncId());
      if (seen.length === 1) {
        moved = storage.run('call-1', () => moveHandleHere(socket));
        const idKey = Object.getOwnPropertySymbols(socket).find((key) => key.description === 'async_id_symbol')!;
        ids = [(socket as unknown as Record<symbol, unknown>)[idKey], (socket as unknown as { _handle: { getAsyncId(): number } })._handle.getAsyncId()];
      }
      if (seen.length === 2) {
        setTimeout(() => seen.push(`timer ${storage.getStore()}`), 1);
        void Promise.resolve().then(() => seen.push(`promise ${storage.getStore()}`));
      }
      socket.write('ok');
    });
    socket.on('close', () => seen.push(`close ${storage.getStore()}`));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  for (let i = 0; i < 3; i++) {
    client.write(`m${i}`);
    await once(client, 'data');
  }
  client.end();
  await once(client, 'close');
  await new Promise((resolve) => server.close(resolve));
  expect(ids![0]).toBe(ids![1]);
  // The reads after the move run as the handle's new id, the one returned.
  expect(idsInReads).toEqual([idsInReads[0], moved, moved]);
  expect(moved).not.toBe(idsInReads[0]);
  // The first read arrived before the move, in the server's accept.
  expect(seen[0]).toBeUndefined();
  // The timer's turn against the third read's is up to the network: compared in any order.
  expect(seen.slice(1).sort()).toEqual(['call-1', 'call-1', 'close call-1', 'promise call-1', 'timer call-1']);
});

test('what has no movable handle is left alone and answers undefined, whatever it throws', () => {
  expect(moveHandleHere(undefined)).toBeUndefined();
  expect(moveHandleHere({})).toBeUndefined();
  expect(moveHandleHere({ _handle: null })).toBeUndefined();
  expect(moveHandleHere({ _handle: { asyncReset: 1, getAsyncId: () => 1 } })).toBeUndefined();
  const throwing = {
    _handle: {
      asyncReset() {
        throw new Error('closed');
      },
      getAsyncId: () => 1,
    },
  };
  expect(moveHandleHere(throwing)).toBeUndefined();
});
