import { join, resolve } from 'node:path';
import * as shared from '../scripts/lib/examples.mjs';

export type { PyExampleBlock } from '../scripts/lib/examples.mjs';

export const siteDir = resolve(__dirname, '..');
export const docsDir = join(siteDir, 'docs');

export const mdxPages = () => shared.mdxPages(docsDir);
export const extractPyExamples = (text: string, page: string) =>
  shared.extractPyExamples(text, page, docsDir);
export const extractLiveBlocks = (text: string, page: string) =>
  shared.extractLiveBlocks(text, page, docsDir);
export const countPyExampleTags = shared.countPyExampleTags;
export const readPage = shared.readPage;
