import { useAsOf, useHref } from '../app/navigation';
import { PageHeader } from '../components/common';

export default function NotFound() {
  const { asOf } = useAsOf();
  const href = useHref();
  return (
    <>
      <PageHeader title="Not found" asOf={asOf} />
      <p>
        There is no such view. Go to the <a href={href('/')}>overview</a>.
      </p>
    </>
  );
}
