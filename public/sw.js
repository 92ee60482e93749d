// Begleitbuch service worker. This file is a template: scripts/write-service-worker.sh fills in the
// build version and the precache list after every build, so a new build installs a new worker and
// its activation removes the previous build's cache.
const VERSION = '__BUILD_VERSION__';
const PRECACHE = __PRECACHE_LIST__;
const CACHE_PREFIX = 'begleitbuch-shell-';
const CACHE = CACHE_PREFIX + VERSION;
const APP_SHELL = '/index.html';
// The office and the parents' pages are other apps, online only, under their own paths (the domain's
// `WayIn::path`; a test keeps the two lists equal). This worker does not touch them: they always come
// from the network, and offline the browser says so.
const ONLINE_APPS = ['/buero/', '/eltern/'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE).map((key) => caches.delete(key)),
      ))
      .then(() => self.clients.claim()),
  );
});

// The app asks for activation only after the user agreed to reload (see src/pwa.rs).
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') {
    self.skipWaiting();
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  // The API is network-only: personal data never enters Cache Storage.
  if (url.pathname.startsWith('/api/')) return;
  if (ONLINE_APPS.some((prefix) => url.pathname.startsWith(prefix) || url.pathname === prefix.slice(0, -1))) return;
  if (request.mode === 'navigate') {
    // Every route is the same single-page app: answer deep links offline with the cached shell.
    event.respondWith(caches.match(APP_SHELL, { cacheName: CACHE }).then((shell) => shell || fetch(request)));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});
