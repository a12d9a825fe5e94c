// Hash routes to views. The overview is in the main bundle (first paint); the rest load on demand.
import { lazy, Suspense } from 'react';
import { Loading } from '../components/States';
import { matchRoute, type RouteName } from '../lib/router';
import { Layout } from './Layout';
import { useLocation } from './navigation';
import { TokenDialog } from './TokenDialog';
import { Overview } from '../views/Overview';

const Findings = lazy(() => import('../views/Findings'));
const Chains = lazy(() => import('../views/Chains'));
const TimeTravel = lazy(() => import('../views/TimeTravel'));
const WhatIf = lazy(() => import('../views/WhatIf'));
const Organisations = lazy(() => import('../views/Organisations'));
const Organisation = lazy(() => import('../views/Organisation'));
const VendorCheck = lazy(() => import('../views/VendorCheck'));
const NotFound = lazy(() => import('../views/NotFound'));

const TITLES: Readonly<Record<RouteName, string>> = {
  overview: 'Overview',
  findings: 'Findings',
  chains: 'Chain explorer',
  'time-travel': 'Time travel',
  'what-if': 'What-if',
  organisations: 'Organisations',
  organisation: 'Organisation',
  'vendor-check': 'Vendor check',
  'not-found': 'Not found',
};

export function App() {
  const { path } = useLocation();
  const route = matchRoute(path);
  let view;
  switch (route.name) {
    case 'overview':
      view = <Overview />;
      break;
    case 'findings':
      view = <Findings />;
      break;
    case 'chains':
      view = <Chains />;
      break;
    case 'time-travel':
      view = <TimeTravel />;
      break;
    case 'what-if':
      view = <WhatIf />;
      break;
    case 'organisations':
      view = <Organisations />;
      break;
    case 'organisation':
      view = <Organisation id={route.id ?? ''} key={route.id} />;
      break;
    case 'vendor-check':
      view = <VendorCheck />;
      break;
    default:
      view = <NotFound />;
  }
  return (
    <>
      <Layout route={route.name} viewTitle={TITLES[route.name]}>
        <Suspense fallback={<Loading what="the view" />}>{view}</Suspense>
      </Layout>
      <TokenDialog />
    </>
  );
}
