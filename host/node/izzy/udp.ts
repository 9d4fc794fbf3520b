// izzy over real UDP (node:dgram): a Mother or a client driven by the module.
// The host keeps no protocol state: it feeds the module the time (u32 ms from a
// monotonic clock) and each datagram, sends what the module sends, and sleeps
// until the deadline the module returns.
import dgram from "node:dgram";
import { IzzyCore, type ClientRow } from "./core.ts";
import { DeadlineTimer } from "../deadline.ts";
import { Query } from "./numbers.ts";
import { IPV4_BROADCAST, PORT_HELLO, PORT_HERE, ipv4Text, ipv4Value } from "./names.ts";

/** Monotonic milliseconds as a u32 (wraps after 49.7 days, as the module expects). */
export function monotonicMs(): number {
  return Math.floor(performance.now()) >>> 0;
}

interface CommonOptions {
  /** The module's bytes (build/izzy.wasm). */
  wasm: Uint8Array | WebAssembly.Module;
  /** Our UUID; derived from `seed` when absent. */
  uuid?: string;
  seed?: number;
  /** Address to bind (default all interfaces). */
  bind?: string;
  /** An already bound socket to use instead of binding one (tests). */
  socket?: dgram.Socket;
  timeoutMs?: number;
  /** Clock, u32 ms (default monotonicMs). */
  now?: () => number;
  onEvent?: (code: number, value: number) => void;
  /** Diagnostics (send errors). */
  onError?: (error: Error) => void;
}

export interface MotherOptions extends CommonOptions {
  /** Port to bind: HERE arrives there (default 9000; 0 = ephemeral). */
  port?: number;
  /** Port HELLO is sent to (default 9001). */
  clientPort?: number;
  /** Where "broadcast" goes (default 255.255.255.255). */
  broadcast?: string;
  intervalMs?: number;
}

export interface ClientOptions extends CommonOptions {
  /** Port to bind: HELLO arrives there (default 9001; 0 = ephemeral). */
  port?: number;
  /** Port HERE is sent to on the Mother (default 9000). */
  motherPort?: number;
  name?: string;
  status?: number;
  x?: number;
  y?: number;
  z?: number;
  heading?: number;
  speed?: number;
}

/** A running role: its module, its socket's port, and stop(). */
export class IzzyNode {
  private readonly deadline = new DeadlineTimer(() => this.core.tick(this.now()));
  private stopped = false;

  constructor(
    readonly core: IzzyCore,
    readonly socket: dgram.Socket,
    private readonly now: () => number,
  ) {}

  get port(): number {
    return this.socket.address().port;
  }

  /** Sleeps until the module's next deadline (-1: until a datagram). */
  schedule(next: number): void {
    this.deadline.schedule(next);
  }

  /** Runs `fn` (an export call that returns the next deadline) and reschedules. */
  call(fn: (core: IzzyCore, now: number) => number): void {
    this.schedule(fn(this.core, this.now()));
  }

  get nowMs(): number {
    return this.now();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.deadline.stop();
    await new Promise<void>((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}

export class IzzyMother extends IzzyNode {
  table(): ClientRow[] {
    return this.core.table();
  }
}

export class IzzyClient extends IzzyNode {
  /** Re-arm after an ESTOP: 0 done, 1 not in ESTOP, 2 refused (no heartbeat). */
  rearm(): number {
    return this.core.exports.izzy_rearm(this.nowMs >>> 0);
  }

  get estopped(): boolean {
    return this.core.query(Query.ESTOPPED) === 1;
  }

  get motherKnown(): boolean {
    return this.core.query(Query.MOTHER_KNOWN) === 1;
  }

  get motherIp(): string {
    return ipv4Text(this.core.query(Query.MOTHER_IP));
  }

  setStatus(status: number): boolean {
    return this.core.exports.izzy_set_status(status) === 0;
  }
}

async function openSocket(port: number, bind: string | undefined, given: dgram.Socket | undefined): Promise<dgram.Socket> {
  if (given) return given;
  const socket = dgram.createSocket({ type: "udp4", reuseAddr: true });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    socket.once("error", onError);
    socket.bind(port, bind, () => {
      socket.off("error", onError);
      resolve();
    });
  });
  return socket;
}

function wire<T extends IzzyNode>(
  node: T,
  options: CommonOptions,
  destination: (ipv4: number) => string,
): T {
  const { core, socket } = node;
  core.handlers = {
    send: (datagram, ipv4, port) => {
      socket.send(datagram, port, destination(ipv4), (error) => {
        if (error) options.onError?.(error);
      });
    },
    event: (code, value) => options.onEvent?.(code, value),
  };
  socket.on("message", (msg, rinfo) => {
    const ipv4 = ipv4Value(rinfo.address);
    if (ipv4 === null) return; // IPv4 only
    node.call((c, now) => c.receive(msg, now, ipv4, rinfo.port));
  });
  socket.on("error", (error) => options.onError?.(error));
  return node;
}

function configure(core: IzzyCore, options: CommonOptions, herePort: number, helloPort: number): void {
  if (options.uuid !== undefined) core.setUuid(options.uuid);
  if (options.timeoutMs !== undefined && core.exports.izzy_set_timeout(options.timeoutMs) !== 0) {
    throw new Error(`timeout out of range: ${options.timeoutMs}`);
  }
  if (core.exports.izzy_set_ports(herePort, helloPort) !== 0) throw new Error(`bad ports ${herePort}, ${helloPort}`);
}

function seedOf(options: CommonOptions): number {
  return (options.seed ?? Math.floor(Math.random() * 0x100000000)) >>> 0;
}

/** Starts a Mother: binds, then HELLO at once and every interval. */
export async function startMother(options: MotherOptions): Promise<IzzyMother> {
  const core = new IzzyCore(options.wasm);
  configure(core, options, PORT_HERE, options.clientPort ?? PORT_HELLO);
  if (options.intervalMs !== undefined && core.exports.izzy_set_interval(options.intervalMs) !== 0) {
    throw new Error(`interval out of range: ${options.intervalMs}`);
  }
  const socket = await openSocket(options.port ?? PORT_HERE, options.bind, options.socket);
  const broadcast = options.broadcast ?? "255.255.255.255";
  if (broadcast.endsWith(".255")) socket.setBroadcast(true);
  const now = options.now ?? monotonicMs;
  const mother = wire(new IzzyMother(core, socket, now), options, (ipv4) =>
    ipv4 === IPV4_BROADCAST ? broadcast : ipv4Text(ipv4),
  );
  mother.call((c, t) => c.startMother(t, seedOf(options)));
  return mother;
}

/** Starts a client: binds, sets its report, and waits for HELLO (ESTOP after the timeout without). */
export async function startClient(options: ClientOptions): Promise<IzzyClient> {
  const core = new IzzyCore(options.wasm);
  configure(core, options, options.motherPort ?? PORT_HERE, PORT_HELLO);
  if (options.name !== undefined) {
    const r = core.setName(options.name);
    if (r !== 0) throw new Error(r === 9 ? "name must not contain ','" : "name longer than 32 bytes");
  }
  if (options.status !== undefined && core.exports.izzy_set_status(options.status) !== 0) {
    throw new Error(`status out of range 1..6: ${options.status}`);
  }
  core.exports.izzy_set_position(options.x ?? 0, options.y ?? 0, options.z ?? 0);
  core.exports.izzy_set_heading(options.heading ?? 0);
  core.exports.izzy_set_speed(options.speed ?? 0);
  const socket = await openSocket(options.port ?? PORT_HELLO, options.bind, options.socket);
  const now = options.now ?? monotonicMs;
  const client = wire(new IzzyClient(core, socket, now), options, (ipv4) => ipv4Text(ipv4));
  client.call((c, t) => c.startClient(t, seedOf(options)));
  return client;
}
