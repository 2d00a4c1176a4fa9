import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/**
 * Runs the docker CLI and returns its trimmed stdout (with stderr too when `withStderr`); a
 * non-zero exit throws with its stderr. `input` is written to the command's standard input.
 */
export function docker(args: string[], options: { input?: string; withStderr?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`docker ${args.join(' ')}: exit ${code}: ${stderr.trim()}`));
      else resolve((options.withStderr ? stdout + stderr : stdout).trim());
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs a command with its output on this terminal (long steps such as the build show progress). */
export function shown(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')}: exit ${code}`)),
    );
  });
}

/** The container's state as `docker inspect` reports it. */
export async function containerState(name: string): Promise<{ status: string; health: string; exitCode: number }> {
  const format = '{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}|{{.State.ExitCode}}';
  const [status, health, exitCode] = (await docker(['inspect', '-f', format, name])).split('|');
  return { status: status!, health: health!, exitCode: Number(exitCode) };
}

/**
 * Runs the docker CLI with a file as its standard input or output (binary, such as a tar archive);
 * a non-zero exit throws with its stderr.
 */
export function dockerWithFile(args: string[], file: { stdin?: string; stdout?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const stdin = file.stdin ? openSync(file.stdin, 'r') : 'ignore';
    const stdout = file.stdout ? openSync(file.stdout, 'w') : 'ignore';
    const child = spawn('docker', args, { stdio: [stdin, stdout, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      for (const fd of [stdin, stdout]) if (typeof fd === 'number') closeSync(fd);
      if (code !== 0) reject(new Error(`docker ${args.join(' ')}: exit ${code}: ${stderr.trim()}`));
      else resolve();
    });
  });
}
