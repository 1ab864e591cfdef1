/**
 * Redis-style log lines: `pid:role dd Mon yyyy hh:mm:ss.mmm <level-char> message`, with the
 * levels Redis uses (. debug/verbose, - verbose, * notice, # warning).
 */
import { appendFileSync } from 'node:fs';

export type LogLevel = 'silent' | 'warning' | 'notice' | 'verbose' | 'debug' | 'nothing';

const RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, silent: 4, nothing: 4 };
const MARK: Record<Exclude<LogLevel, 'silent' | 'nothing'>, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** A logger writing to stdout (or to `logfile`, appending) at or above `level`. */
export class Logger {
  constructor(public level: LogLevel = 'notice', private readonly role = 'M', private readonly logfile?: string) {}

  log(level: Exclude<LogLevel, 'silent' | 'nothing'>, msg: string): void {
    if (RANK[level] < RANK[this.level]) return;
    const line = `${process.pid}:${this.role} ${stamp(new Date())} ${MARK[level]} ${msg}\n`;
    if (this.logfile) appendFileSync(this.logfile, line);
    else process.stdout.write(line);
  }
  notice(msg: string): void { this.log('notice', msg); }
  warning(msg: string): void { this.log('warning', msg); }
  verbose(msg: string): void { this.log('verbose', msg); }
}
