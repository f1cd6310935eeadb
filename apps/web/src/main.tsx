import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphqlClient } from './api/graphql-client';
import { App } from './app/app';
import './styles/app.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={new GraphqlClient()} />
  </StrictMode>,
);
