// Starts the WebAssembly app. A file rather than an inline script, so the CSP can forbid inline code.
const tag = document.querySelector('script[data-app-js]');
const { default: init } = await import(tag.dataset.appJs);
await init({ module_or_path: tag.dataset.appWasm });
