import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SidebarsConfig } from '@docusaurus/plugin-content-docs';
import { documentedPackages } from './api-packages';

/** One entry of a sidebar (the package does not export this type by name). */
type SidebarItemConfig = Extract<SidebarsConfig[string], unknown[]>[number];

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The sidebar TypeDoc generated for one package (docs/api/NAME/typedoc-sidebar.cjs). */
function apiCategory(name: string): SidebarItemConfig {
  const file = resolve(here, 'docs/api', name, 'typedoc-sidebar.cjs');
  if (!existsSync(file)) throw new Error(`TypeDoc did not generate ${file}`);
  const items = require(file) as SidebarItemConfig[];
  return {
    type: 'category',
    label: `@gilkit/${name}`,
    link: { type: 'doc', id: `api/${name}/index` },
    items,
  };
}

const sidebars: SidebarsConfig = {
  concepts: [
    'intro',
    {
      type: 'category',
      label: 'Concepts',
      collapsed: false,
      link: { type: 'doc', id: 'concepts/index' },
      items: [
        'concepts/what-is-the-gil',
        'concepts/thread-serialization',
        'concepts/refcounting',
        'concepts/switch-interval',
        'concepts/io-and-convoy',
        'concepts/multiprocessing',
        'concepts/native-extensions',
        'concepts/old-vs-new-gil',
        'concepts/free-threading',
        'concepts/bytecode-and-eval-loop',
      ],
    },
    'benchmarks',
    'playground',
  ],
  packages: [
    'packages/index',
    'packages/lock',
    'packages/heap',
    'packages/vm',
    'packages/scheduler',
    'packages/pool',
    'packages/bench',
    'packages/ui',
    'live-examples',
  ],
  api: ['api/index', ...documentedPackages.map(apiCategory)],
};

export default sidebars;
