// Connection commands that run in the engine: PING and ECHO. The rest of the connection family
// (AUTH, HELLO, SELECT, CLIENT, QUIT, RESET) changes per-connection state and runs in the host:
// src/commands/connection.ts.

import { writeSimple, writeBulk } from "../resp/writer";
import { argPtr, argLen, cmdArgc, writeArityError } from "./args";

/** PING [message] */
export function pingCommand(): void {
  if (cmdArgc > 2) { writeArityError("ping"); return; }
  if (cmdArgc == 1) writeSimple("PONG");
  else writeBulk(argPtr(1), argLen(1));
}

/** ECHO message */
export function echoCommand(): void { writeBulk(argPtr(1), argLen(1)); }
