import { type DestinationStream, type Logger, pino } from "pino";

export type LogFormat = "json" | "pretty";

export interface LoggerOptions {
  /** `json` (one object per line, the default when the output is not a terminal) or `pretty`. */
  format?: LogFormat;
  /** pino level: `info` (default), `warn`, `error`, `debug`, `silent`. */
  level?: string;
  /** Where lines go (default: stdout, written asynchronously and flushed on exit). */
  destination?: DestinationStream;
}

/** The default format for a stream: pretty on a terminal, JSON lines otherwise. */
export function defaultLogFormat(stream: { isTTY?: boolean } = process.stdout): LogFormat {
  return stream.isTTY ? "pretty" : "json";
}

/**
 * The gateway's logger (pino). JSON lines carry `time` (epoch ms), `level`, `msg` and the fields
 * of the line; `pretty` renders the same through pino-pretty, for a person at a terminal.
 * Errors logged as `{ err }` keep their stack (pino's error serializer).
 */
export async function createLogger(options: LoggerOptions = {}): Promise<Logger> {
  const base = {
    level: options.level ?? "info",
    base: { service: "flm" },
    serializers: { err: pino.stdSerializers.err },
  };
  if ((options.format ?? defaultLogFormat()) === "pretty") {
    const { default: pretty } = await import("pino-pretty");
    return pino(
      base,
      pretty({
        colorize: !options.destination && Boolean(process.stdout.isTTY),
        destination: options.destination ?? 1,
        sync: true,
        ignore: "pid,hostname,service",
        translateTime: "SYS:HH:MM:ss.l",
      }),
    );
  }
  return pino(base, options.destination ?? pino.destination({ dest: 1, sync: false }));
}
