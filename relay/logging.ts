/**
 * Structured logs (pino, JSON lines) to stdout and, when a directory is configured, to
 * relay.log rotated by size with a bounded number of old files (rotating-file-stream does
 * the rotation, as the fleet server's log_file_max_size_bytes / log_files_to_keep did).
 */
import { mkdirSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';
import type { RelayConfig } from './config.ts';

export function createLogger(log: RelayConfig['log']): Logger {
  const streams: pino.StreamEntry[] = [{ level: log.level === 'silent' ? 'fatal' : log.level, stream: process.stdout }];
  if (log.directory) {
    mkdirSync(log.directory, { recursive: true });
    const file = createStream('relay.log', {
      path: log.directory,
      ...(log.maxFileBytes > 0 ? { size: `${log.maxFileBytes}B` } : {}),
      maxFiles: Math.max(1, log.filesToKeep),
      // rotating-file-stream remembers which rotated files exist (to delete the oldest) here.
      history: 'relay.log.history',
    });
    streams.push({ level: log.level === 'silent' ? 'fatal' : log.level, stream: file });
  }
  return pino({ level: log.level, base: { service: 'relay' } }, pino.multistream(streams));
}
