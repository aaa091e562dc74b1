import { defineConfig } from 'vite';

// `npm run dev`: the page from Vite, the sign-in and /account from server.ts (`npm start`, port 3000).
export default defineConfig({
  server: {
    proxy: { '/auth': 'http://localhost:3000', '/account': 'http://localhost:3000' },
  },
});
