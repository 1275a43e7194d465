import { resolve } from 'node:path';
import type * as Preset from '@docusaurus/preset-classic';
import type { Config, PluginConfig } from '@docusaurus/types';
import { themes as prismThemes } from 'prism-react-renderer';

import { documentedPackages, packagesDir } from './api-packages';
import precomputeExamples from './src/remark/precompute-examples';

/**
 * One TypeDoc run (one plugin instance) per package, so each page tree is named after the package,
 * not after a path.
 */
function typedocPlugin(name: string): PluginConfig {
  const dir = resolve(packagesDir, name);
  return [
    'docusaurus-plugin-typedoc',
    {
      id: `api-${name}`,
      entryPoints: [resolve(dir, 'src/index.ts')],
      tsconfig: resolve(dir, 'tsconfig.json'),
      out: `./docs/api/${name}`,
      name: `@gilkit/${name}`,
      readme: 'none',
      // Type errors are the package's own typecheck's business; the reference only needs symbols.
      skipErrorChecking: true,
      excludePrivate: true,
      excludeInternal: true,
      exclude: ['**/*.test.ts', '**/bench/**'],
      disableSources: true,
      hidePageHeader: true,
      sidebar: { autoConfiguration: true, pretty: true },
      entryFileName: 'index',
      // One page per package (members as sections): ~10 pages instead of ~300 keeps the build fast.
      outputFileStrategy: 'modules',
      // Explicit anchors: TypeDoc's and Docusaurus' heading slugs disagree on repeated names.
      useHTMLAnchors: true,
      useCodeBlocks: true,
      parametersFormat: 'table',
      enumMembersFormat: 'table',
      typeDeclarationFormat: 'table',
      logLevel: 'Warn',
    },
  ];
}

/**
 * @gilkit/scheduler's Web Worker runtime looks up optional exports of @gilkit/vm at run time
 * (`vm.invalidateGlobalCaches` "when exported"). Rspack treats a missing export of a strict ESM
 * namespace as a build error; for that package only, report it as a warning instead.
 */
const optionalExportsPlugin: PluginConfig = () => ({
  name: 'gilkit-optional-exports',
  configureWebpack: () => ({
    module: {
      rules: [
        {
          test: /[\\/](packages[\\/]scheduler|@gilkit[\\/]scheduler)[\\/]dist[\\/]/,
          parser: { exportsPresence: 'warn' },
        },
      ],
    },
  }),
});

const config: Config = {
  title: 'gilkit',
  tagline: "Python's Global Interpreter Lock, rebuilt in TypeScript and explained with programs you can run",
  favicon: 'img/favicon.svg',
  url: 'https://gilkit.example.invalid',
  baseUrl: '/',
  trailingSlash: false,

  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  markdown: {
    // .md files (the generated benchmarks page, TypeDoc output) are CommonMark, .mdx files are MDX.
    format: 'detect',
    hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' },
  },

  future: {
    v4: true,
    // Rspack + SWC + Lightning CSS: the docs build has to stay well under 3 minutes on 2 cores.
    faster: true,
  },

  i18n: { defaultLocale: 'en', locales: ['en'] },

  customFields: {
    documentedPackages,
    // Where the playground app is deployed, if anywhere; the playground page explains how to run it.
    playgroundUrl: process.env.GILKIT_PLAYGROUND_URL ?? '',
  },

  presets: [
    [
      'classic',
      {
        docs: {
          routeBasePath: '/',
          sidebarPath: './sidebars.ts',
          // Every <PyExample> shows its result (computed at build) before the reader presses Run.
          remarkPlugins: [precomputeExamples],
        },
        blog: false,
        theme: { customCss: './src/css/custom.css' },
      } satisfies Preset.Options,
    ],
  ],

  themes: [
    '@docusaurus/theme-live-codeblock',
    [
      '@easyops-cn/docusaurus-search-local',
      {
        hashed: true,
        indexBlog: false,
        docsRouteBasePath: '/',
        highlightSearchTermsOnTargetPage: true,
        explicitSearchResultPath: true,
      },
    ],
  ],

  plugins: [optionalExportsPlugin, ...documentedPackages.map(typedocPlugin)],

  themeConfig: {
    colorMode: { defaultMode: 'light', respectPrefersColorScheme: true },
    navbar: {
      title: 'gilkit',
      logo: { alt: 'gilkit', src: 'img/favicon.svg' },
      items: [
        { type: 'docSidebar', sidebarId: 'concepts', position: 'left', label: 'Concepts' },
        { type: 'docSidebar', sidebarId: 'packages', position: 'left', label: 'Packages' },
        { type: 'docSidebar', sidebarId: 'api', position: 'left', label: 'API' },
        { to: '/benchmarks', label: 'Benchmarks', position: 'left' },
        { to: '/playground', label: 'Playground', position: 'left' },
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Learn',
          items: [
            { label: 'What the GIL is', to: '/concepts/what-is-the-gil' },
            { label: 'Thread serialization', to: '/concepts/thread-serialization' },
            { label: 'Switch interval', to: '/concepts/switch-interval' },
          ],
        },
        {
          title: 'Use',
          items: [
            { label: 'Packages', to: '/packages' },
            { label: 'Benchmarks', to: '/benchmarks' },
            { label: 'Playground', to: '/playground' },
          ],
        },
      ],
      copyright: 'gilkit, MIT licensed. CPython facts cite their sources on each page.',
    },
    prism: {
      theme: prismThemes.github,
      darkTheme: prismThemes.dracula,
      additionalLanguages: ['bash'],
    },
    liveCodeBlock: { playgroundPosition: 'bottom' },
  } satisfies Preset.ThemeConfig,
};

export default config;
