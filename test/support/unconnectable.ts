import { type ChildProcess, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { findMotoPython } from './moto';

/** An endpoint on 127.0.0.1 whose TCP connections never open. */
export interface Unconnectable {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts an {@link Unconnectable}: a socket that listens but never accepts,
 * its one-slot backlog filled, so the kernel drops every further SYN and a
 * client waits in `connect` (a regional endpoint that silently drops
 * connections). Node always accepts, hence Python (the one moto runs on).
 */
export async function startUnconnectable(): Promise<Unconnectable> {
  const child: ChildProcess = spawn(
    findMotoPython(),
    [
      '-c',
      [
        'import socket, sys',
        's = socket.socket()',
        "s.bind(('127.0.0.1', 0))",
        's.listen(0)',
        'print(s.getsockname()[1], flush=True)',
        'sys.stdin.read()',
      ].join('\n'),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (data) => resolve(Number(String(data).trim())));
  });
  // Fill the backlog: these connections open (the kernel completes them
  // for the listener), every one after them does not.
  const fillers: Socket[] = [];
  for (let i = 0; i < 3; i += 1) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    fillers.push(socket);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of fillers) socket.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}
