import 'reflect-metadata';
import { runCli } from './cli';

// Output piped into a reader that stops early (`| head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// The exit status is set rather than forced: the process ends by itself once runCli has closed the database
// pool and Redis, after stdout has drained. Should a library leave a stray timer behind, the unref'd timer
// below ends the process shortly after the command all the same.
void runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
  (status) => {
    process.exitCode = status;
    setTimeout(() => process.exit(status), 250).unref();
  },
);
