// node-llama-cpp, loaded only when the local provider is chosen. It is an optional peer
// dependency (its GPU binaries would multiply sdcoach's install size), so a missing package is
// an ordinary, explained failure, and one llama.cpp runtime serves the whole process.
import type { Llama } from 'node-llama-cpp';
import { ProviderError } from './provider.js';

export type NodeLlamaCpp = typeof import('node-llama-cpp');

export const NODE_LLAMA_CPP_MISSING = 'the local provider needs node-llama-cpp: npm install -g node-llama-cpp';

/** How the package is imported; tests pass one that fails to check the message. */
export type ImportNodeLlamaCpp = () => Promise<NodeLlamaCpp>;

const defaultImport: ImportNodeLlamaCpp = () => import('node-llama-cpp');

export async function loadNodeLlamaCpp(importer: ImportNodeLlamaCpp = defaultImport): Promise<NodeLlamaCpp> {
  try {
    return await importer();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new ProviderError('not-found', NODE_LLAMA_CPP_MISSING, { cause: error });
    throw new ProviderError('not-found', `node-llama-cpp could not be loaded: ${(error as Error).message}`, { cause: error });
  }
}

export interface RuntimeOptions {
  /** false: CPU only (tests; machines whose GPU driver misbehaves). Default: the best GPU found, else CPU. */
  gpu?: boolean;
}

let runtime: { key: string; llama: Promise<Llama> } | undefined;

/** The process's one llama.cpp runtime (prebuilt binaries only: never a build from source). */
export function llamaRuntime(lib: NodeLlamaCpp, options: RuntimeOptions = {}): Promise<Llama> {
  const key = String(options.gpu ?? 'auto');
  if (runtime?.key === key) return runtime.llama;
  const llama = lib
    .getLlama({
      gpu: options.gpu === false ? false : 'auto',
      build: 'never',
      progressLogs: false,
      logLevel: lib.LlamaLogLevel.error,
      // llama.cpp's own log lines would be drawn over the interview screen.
      logger: () => {},
    })
    .catch((error: unknown) => {
      runtime = undefined;
      throw new ProviderError('not-found', `node-llama-cpp has no working llama.cpp binary for this machine: ${(error as Error).message}`, { cause: error });
    });
  runtime = { key, llama };
  return llama;
}
