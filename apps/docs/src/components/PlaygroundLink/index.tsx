import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import type { ReactNode } from 'react';

export { encodeProgram, type PlaygroundState, playgroundHref } from './encode';

/** The deployed playground's URL from the build (`GILKIT_PLAYGROUND_URL`), or '' when there is none. */
export function usePlaygroundUrl(): string {
  const { siteConfig } = useDocusaurusContext();
  const url = siteConfig.customFields?.playgroundUrl;
  return typeof url === 'string' ? url : '';
}

/** A link to the playground when this build knows where it is deployed; otherwise `fallback`. */
export default function PlaygroundLink({
  children,
  fallback,
}: {
  children: ReactNode;
  fallback?: ReactNode;
}) {
  const url = usePlaygroundUrl();
  if (!url) return <>{fallback}</>;
  return <a href={url}>{children}</a>;
}
