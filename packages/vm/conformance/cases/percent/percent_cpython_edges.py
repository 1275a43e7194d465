# %-formatting corner cases whose messages and digits CPython defines
for fmt, arg in [('%c', 'ab'), ('%c', 1.5), ('%c', -1), ('%c', 0x110000), ('%x', 1.5), ('%o', 2.0),
                 ('%d', 'x'), ('%f', 'x'), ('%X', None), ('%y', 1), ('%5y', 1), ('%-.3z', 1),
                 ('%', 1), ('%5', 1), ('%(a', {'a': 1}), ('%(a)', {'a': 1}), ('%(b)s', {'a': 1})]:
    try:
        print(repr(fmt % arg))
    except (TypeError, ValueError, OverflowError, KeyError) as e:
        print(type(e).__name__, e)
print('%c%c%c' % ('é', 0x1F600, 65), '%a' % 'é😀', '%a' % [1, 'ü'])
print('%d %x %o' % (10**30, 10**30, -10**30))
print('%.3f|%.0f|%#.0f|%.2e|%g|%#g' % (2.675, 0.5, 2.5, 1.125e10, 1e-5, 1.0))
print('%s %r %s' % (1e16, 1e-5, 123456789.0))
