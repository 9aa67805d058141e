import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { findHost } from './bridge/find-bridge.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const host = findHost();
createRoot(root).render(
  <StrictMode>
    <App bridge={host.bridge} />
  </StrictMode>,
);
