// A simulated run as a timeline picture (SVG): one lane per device (the first
// LANES_MAX, then a line saying how many more), its phases as coloured bands
// (fast discovery, 30-s discovery, joined, stopped), one mark per datagram it
// sent (heartbeats; answers to hbeat.request in their own colour), the echo
// that found the hub, the requests it heard; and a lane for the hub with one
// mark per application it registered.
import { writeFileSync } from "node:fs";
import type { Simulation } from "./simulation.ts";
import type { SimDevice, SentRecord } from "./sim-device.ts";
import type { DeviceEvent } from "../xpl/device.ts";

export const LANES_MAX = 20;
const LEFT_PX = 150;
const PLOT_PX = 1000;
const RIGHT_PX = 20;
const TOP_PX = 40;
const LANE_PX = 22;
const PHASE_NAMES = ["idle", "fast discovery", "30-s discovery", "joined", "stopped"];
const PHASE_COLOURS = ["#ffffff", "#fde68a", "#fdba74", "#bbf7d0", "#e5e7eb"];

interface Lane { source: string; phases: { t: number; phase: number }[]; sent: { t: number; schema: string; answer: boolean }[]; echoes: number[]; requests: number[] }

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A round step for about `count` ticks over `spanMs`. */
function tickStep(spanMs: number, count = 8): number {
  const raw = spanMs / count;
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
    900_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 21_600_000, 43_200_000, 86_400_000];
  return steps.find((s) => s >= raw) ?? Math.ceil(raw / 86_400_000) * 86_400_000;
}

function timeLabel(ms: number): string {
  if (ms === 0) return "0";
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

export class SvgTimeline {
  private readonly lanes: Lane[] = [];
  private readonly registrations: { t: number; source: string }[] = [];
  private readonly replyDue = new Map<number, number>();
  private registered = 0;

  constructor(private readonly sim: Simulation, readonly devices: number) {
    for (let i = 0; i < Math.min(devices, LANES_MAX); i++) this.lanes.push(emptyLane());
    const previous = sim.hub.observer;
    sim.hub.observer = (nowMs, datagram, forwardedTo) => {
      previous?.(nowMs, datagram, forwardedTo);
      const now = sim.hub.rules.registered(nowMs);
      if (now.length > this.registered) this.registrations.push({ t: nowMs, source: now[now.length - 1].source });
      this.registered = now.length;
    };
  }

  /** Give to Simulation's onSend. */
  onSend(record: SentRecord): void {
    const lane = this.lanes[record.device];
    if (!lane) return;
    const text = Buffer.from(record.datagram).toString("latin1").split("\n");
    lane.source = (text[3] ?? "").replace(/^source=/, "");
    const answer = this.replyDue.get(record.device) === record.t_ms;
    if (answer) this.replyDue.delete(record.device);
    lane.sent.push({ t: record.t_ms, schema: text[6] ?? "?", answer });
  }

  /** Give to Simulation's onEvent. */
  onEvent(device: SimDevice, event: DeviceEvent): void {
    const i = device.options.index;
    const lane = this.lanes[i];
    if (!lane) return;
    const t = this.sim.clock.nowMs;
    if (event.name === "phase") lane.phases.push({ t, phase: event.value });
    else if (event.name === "echo" && event.value === 1) lane.echoes.push(t);
    else if (event.name === "request") { lane.requests.push(t); this.replyDue.set(i, t + event.value); }
    else if (event.name === "reply-cancelled") this.replyDue.delete(i);
  }

  /** The picture of [0, durationMs]. */
  render(durationMs: number): string {
    const span = Math.max(durationMs, 1);
    const x = (t: number) => (LEFT_PX + (Math.min(t, span) / span) * PLOT_PX).toFixed(1);
    const hubY = TOP_PX;
    const laneY = (i: number) => TOP_PX + (i + 1) * LANE_PX;
    const more = this.devices - this.lanes.length;
    const bottom = laneY(this.lanes.length) + (more > 0 ? LANE_PX : 0);
    const height = bottom + 70;
    const width = LEFT_PX + PLOT_PX + RIGHT_PX;
    const o: string[] = [];
    o.push(`<?xml version="1.0" encoding="UTF-8"?>`);
    o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
    o.push(`<title>xpl-hbeat sim: ${this.devices} device(s), ${timeLabel(durationMs)} of virtual time</title>`);
    o.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
    o.push(`<text x="10" y="18" font-size="13" font-weight="bold">xpl-hbeat sim: ${this.devices} device(s), ${escape(timeLabel(durationMs))} of virtual time</text>`);
    // Time axis.
    const step = tickStep(span);
    for (let t = 0; t <= span; t += step) {
      o.push(`<line x1="${x(t)}" y1="${TOP_PX - LANE_PX / 2}" x2="${x(t)}" y2="${bottom}" stroke="#d1d5db" stroke-width="0.5"/>`);
      o.push(`<text x="${x(t)}" y="${bottom + 14}" text-anchor="middle">${escape(timeLabel(t))}</text>`);
    }
    // The hub lane: registrations.
    o.push(`<text x="10" y="${hubY + 4}" font-weight="bold">hub</text>`);
    o.push(`<g class="registrations">`);
    for (const r of this.registrations) {
      o.push(`<path class="registration" d="M${x(r.t)},${hubY - 6} l4,6 l-4,6 l-4,-6 z" fill="#7c3aed"><title>${r.t} ms: registered ${escape(r.source)}</title></path>`);
    }
    o.push(`</g>`);
    // Device lanes.
    this.lanes.forEach((lane, i) => {
      const y = laneY(i);
      o.push(`<g class="lane" data-device="${i}">`);
      o.push(`<text x="10" y="${y + 4}">${escape(lane.source || `device ${i}`)}</text>`);
      lane.phases.forEach((p, k) => {
        const end = k + 1 < lane.phases.length ? lane.phases[k + 1].t : span;
        const w = Math.max(0.5, Number(x(end)) - Number(x(p.t)));
        o.push(`<rect class="phase" x="${x(p.t)}" y="${y - 8}" width="${w.toFixed(1)}" height="16" fill="${PHASE_COLOURS[p.phase] ?? "#ffffff"}"><title>${p.t} ms: ${PHASE_NAMES[p.phase] ?? p.phase}</title></rect>`);
      });
      for (const s of lane.sent) {
        const fill = s.answer ? "#dc2626" : s.schema.endsWith(".end") ? "#111827" : "#2563eb";
        o.push(`<rect class="datagram${s.answer ? " answer" : ""}" x="${(Number(x(s.t)) - 1).toFixed(1)}" y="${y - 6}" width="2" height="12" fill="${fill}"><title>${s.t} ms: ${escape(s.schema)}${s.answer ? " (answer to hbeat.request)" : ""}</title></rect>`);
      }
      for (const t of lane.echoes) o.push(`<circle class="echo" cx="${x(t)}" cy="${y + 9}" r="2.5" fill="#16a34a"><title>${t} ms: echo heard, hub found</title></circle>`);
      for (const t of lane.requests) o.push(`<path class="request" d="M${x(t)},${y - 12} l-3,-5 l6,0 z" fill="#dc2626"><title>${t} ms: hbeat.request heard</title></path>`);
      o.push(`</g>`);
    });
    if (more > 0) o.push(`<text x="10" y="${laneY(this.lanes.length) + 4}">... and ${more} more device(s), not drawn</text>`);
    // Legend.
    const ly = bottom + 36;
    const legend: [string, string][] = [
      ["#fde68a", "fast discovery (3-10 s)"], ["#fdba74", "30-s discovery"], ["#bbf7d0", "joined"], ["#e5e7eb", "stopped"],
      ["#2563eb", "heartbeat sent"], ["#dc2626", "answer to hbeat.request / request heard"], ["#16a34a", "echo: hub found"], ["#7c3aed", "hub registers the device"],
    ];
    legend.forEach(([colour, label], k) => {
      const lx = 10 + (k % 4) * 290, yy = ly + Math.floor(k / 4) * 16;
      o.push(`<rect x="${lx}" y="${yy - 9}" width="12" height="10" fill="${colour}" stroke="#9ca3af" stroke-width="0.5"/><text x="${lx + 18}" y="${yy}">${escape(label)}</text>`);
    });
    o.push(`</svg>`);
    return o.join("\n") + "\n";
  }

  write(path: string, durationMs: number): void {
    writeFileSync(path, this.render(durationMs));
  }
}

function emptyLane(): Lane {
  return { source: "", phases: [], sent: [], echoes: [], requests: [] };
}
