// Swizzled (wrap): every MDX page can use <PyExample> without importing it.
import PyExample from '@site/src/components/PyExample';
import MDXComponents from '@theme-original/MDXComponents';

export default {
  ...MDXComponents,
  PyExample,
};
