import { pino, type Logger } from 'pino';

/** Structured JSON logs; credentials and key material are redacted even if a caller logs them. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'signet' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.authorization',
        '*.clientSecret',
        '*.client_secret',
        '*.privateKey',
        '*.token',
        '*.apiToken',
        '*.access_token',
        '*.d',
        '*.p',
        '*.q',
        '*.dp',
        '*.dq',
        '*.qi',
      ],
      censor: '[redacted]',
    },
  });
}
