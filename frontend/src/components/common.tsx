// Small shared pieces: page header, links to organisations, linkified citations, evidence quotes.
import { useEffect, useRef, type ReactNode } from 'react';
import type { EvidenceItem } from '../api/hooks';
import { takeFocusRequest, useHref } from '../app/navigation';
import { longDate } from '../lib/dates';
import { linkify } from '../lib/format';
import { orgPath } from '../lib/router';

/** The view's h1; takes focus when the view changes so screen-reader users land on it. */
export function PageHeader({ title, asOf, children }: { title: string; asOf: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — flowmap (as of ${asOf})`;
  }, [title, asOf]);
  useEffect(() => {
    // focus the heading after a view change, not on first load (the skip link is there for that)
    if (takeFocusRequest()) ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <header className="page-header">
      <h1 ref={ref} tabIndex={-1}>
        {title}
      </h1>
      <p className="page-asof">
        As of <strong data-testid="page-asof">{longDate(asOf)}</strong> <span className="muted">({asOf})</span>
      </p>
      {children && <div className="page-intro">{children}</div>}
    </header>
  );
}

export function OrgLink({ id, name }: { id: string; name?: string | null }) {
  const href = useHref();
  return (
    <a href={href(orgPath(id))} className="org-link" data-org={id}>
      {name ?? id}
    </a>
  );
}

export function Linkified({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((p, i) =>
        p.href ? (
          <a key={i} href={p.href} target="_blank" rel="noopener noreferrer" className="external">
            {p.text}
          </a>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

interface DocGroup {
  id: string;
  doc: EvidenceItem['document'];
  items: EvidenceItem[];
}

function groupByDocument(evidence: ReadonlyArray<EvidenceItem>): DocGroup[] {
  const groups = new Map<string, DocGroup>();
  for (const e of evidence) {
    let g = groups.get(e.documentId);
    if (!g) groups.set(e.documentId, (g = { id: e.documentId, doc: e.document, items: [] }));
    g.items.push(e);
  }
  return [...groups.values()];
}

export function DocumentTitle({ doc, id }: { doc: EvidenceItem['document']; id: string }) {
  const title = doc?.title ?? id;
  return (
    <span className="doc-title">
      {doc?.url ? (
        <a href={doc.url} target="_blank" rel="noopener noreferrer" className="external">
          {title}
        </a>
      ) : (
        <>
          {title} <span className="muted">(no URL on file)</span>
        </>
      )}
      {doc && (
        <span className="doc-meta">
          {' '}
          · {doc.kind.replace(/_/g, ' ').toLowerCase()}
          {doc.effectiveDate && <> · effective {doc.effectiveDate}</>}
          {doc.retrievedOn && <> · retrieved {doc.retrievedOn}</>}
          {doc.publisher && (
            <>
              {' '}
              · published by <OrgLink id={doc.publisher.id} name={doc.publisher.name} />
            </>
          )}
        </span>
      )}
    </span>
  );
}

/** Evidence quotes grouped by the document they come from, each document linked when its URL is known. */
export function EvidenceList({ evidence, empty = 'No evidence on file.' }: { evidence: ReadonlyArray<EvidenceItem>; empty?: string }) {
  if (!evidence.length) return <p className="muted">{empty}</p>;
  return (
    <ul className="evidence">
      {groupByDocument(evidence).map((g) => (
        <li key={g.id} className="evidence-doc">
          <DocumentTitle doc={g.doc} id={g.id} />
          <ul>
            {g.items.map((e, i) => (
              <li key={i}>
                <blockquote className="quote">“{e.quote}”</blockquote>
                {(e.section || e.note) && (
                  <p className="quote-meta">
                    {e.section && <>Section: {e.section}</>}
                    {e.section && e.note && ' · '}
                    {e.note && <>Note: {e.note}</>}
                  </p>
                )}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

export function Categories({ categories, limit = 99 }: { categories: ReadonlyArray<{ key: string; name: string; special?: string | null }>; limit?: number }) {
  if (!categories.length) return <span className="muted">none stated</span>;
  const shown = categories.slice(0, limit);
  return (
    <ul className="tags">
      {shown.map((c) => (
        <li key={c.key} className={c.special ? 'tag tag--special' : 'tag'} title={c.key}>
          {c.name}
          {c.special && <span className="tag-special"> ({c.special === 'ART9' ? 'Art. 9 special category' : 'Art. 10 criminal data'})</span>}
        </li>
      ))}
      {categories.length > limit && <li className="tag tag--more">+{categories.length - limit} more</li>}
    </ul>
  );
}
