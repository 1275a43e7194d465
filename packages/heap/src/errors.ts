/**
 * Errors raised by the heap. Naming scheme: classes carrying a Python exception are named `Py` +
 * the Python name (`PyMemoryError` is Python's `MemoryError`), so they never shadow JS globals;
 * `pyType` holds the bare Python name for the vm to re-raise. Misuse of references (which CPython
 * would answer with a crash) derives from `PySystemError`. Every class has a stable `code`.
 */

/** Base class of every heap error. */
export class HeapError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;
  /** The Python exception this corresponds to. */
  readonly pyType: string;
  constructor(message: string, code: string, pyType: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.pyType = pyType;
  }
}

/** Python's `MemoryError`: the heap is full. The heap is unchanged by the failed request. */
export class PyMemoryError extends HeapError {
  constructor(message: string) {
    super(message, 'ERR_HEAP_MEMORY', 'MemoryError');
  }
}

/** Python's `TypeError`, e.g. an unhashable key or the wrong type for an accessor. */
export class PyTypeError extends HeapError {
  constructor(message: string) {
    super(message, 'ERR_HEAP_TYPE', 'TypeError');
  }
}

/** Python's `IndexError`: an index outside a sequence. */
export class PyIndexError extends HeapError {
  constructor(message: string) {
    super(message, 'ERR_HEAP_INDEX', 'IndexError');
  }
}

/** Python's `KeyError`: a key missing from a dict or set. */
export class PyKeyError extends HeapError {
  constructor(message: string) {
    super(message, 'ERR_HEAP_KEY', 'KeyError');
  }
}

/** Python's `ValueError`: a value of the right type but unusable (bad option, bad size). */
export class PyValueError extends HeapError {
  constructor(message: string, code = 'ERR_HEAP_VALUE') {
    super(message, code, 'ValueError');
  }
}

/** Python's `OverflowError`: a number too large for the requested representation. */
export class PyOverflowError extends HeapError {
  constructor(message: string) {
    super(message, 'ERR_HEAP_OVERFLOW', 'OverflowError');
  }
}

/** Python's `SystemError`: internal misuse that CPython would not survive. */
export class PySystemError extends HeapError {
  constructor(message: string, code = 'ERR_HEAP_SYSTEM') {
    super(message, code, 'SystemError');
  }
}

/** A reference that is out of range, misaligned or not the start of a live object (checked mode). */
export class InvalidReferenceError extends PySystemError {
  constructor(message: string) {
    super(message, 'ERR_HEAP_INVALID_REF');
  }
}

/** A reference to a block that was freed: use after free or double free (checked mode). */
export class StaleReferenceError extends PySystemError {
  constructor(message: string) {
    super(message, 'ERR_HEAP_STALE_REF');
  }
}

/** A refcount would go below zero (checked mode). */
export class RefcountError extends PySystemError {
  constructor(message: string) {
    super(message, 'ERR_HEAP_REFCOUNT');
  }
}

/** A buffer that does not hold a gilkit heap of this version. */
export class HeapFormatError extends PyValueError {
  constructor(message: string) {
    super(message, 'ERR_HEAP_FORMAT');
  }
}
