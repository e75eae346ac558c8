/** Entry point: the token from a `#token=` link is taken first, then the console renders. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { adoptTokenFromFragment } from './auth/credentials';
import { BenchPage } from './bench/bench-page';
import { I18nProvider } from './i18n/i18n-context';
import { NoticesProvider } from './ui/notices';
import './styles.css';

adoptTokenFromFragment();
const bench = location.hash.startsWith('#/bench');
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <NoticesProvider>{bench ? <BenchPage /> : <App />}</NoticesProvider>
    </I18nProvider>
  </StrictMode>,
);
