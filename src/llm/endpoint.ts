// An endpoint's base URL as messages and probes need it.

/** `http://127.0.0.1:11434/v1` → `127.0.0.1:11434`, for messages (never a path, never a key). */
export function endpointHost(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return 'the endpoint';
  }
}

/** The server's root: `http://host:11434/v1/` → `http://host:11434` (where Ollama's /api and llama.cpp's /props live). */
export function serverRoot(baseURL: string): string {
  return baseURL.replace(/\/+$/, '').replace(/\/v1$/, '');
}
