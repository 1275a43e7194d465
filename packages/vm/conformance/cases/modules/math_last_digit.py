import math

# every digit of these comes from the C library in CPython
xs = [0.1, 0.5, 1.0833, 2.0, 3.7, 10.0, 123.456, 1e-7, 1e10, 7.25e300]
for name in ['log', 'log2', 'log10', 'sqrt', 'cbrt', 'atan', 'asinh', 'sinh', 'cosh']:
    print(name, [getattr(math, name)(x) for x in xs if name not in ('sinh', 'cosh') or x < 700])
for x in [0.1, 0.5, 1.25, 2.0, 3.0, 6.5, 100.0, 1000.5]:
    print(x, math.sin(x), math.cos(x), math.tan(x), math.exp(x / 10), math.exp2(x / 10))
for y in [-0.9, -0.3, 0.2, 0.7]:
    print(y, math.asin(y), math.acos(y), math.atan2(y, 0.3), math.atan2(y, -2.0))
print(math.pow(1.0857891202400034, 4.909896448688151), math.pow(2, 0.5), math.pow(10, -3.5))
print(math.hypot(3, 4), math.hypot(1.1, 2.2, 3.3), math.dist((1, 2.5), (4.2, -1)))
print(math.log(10**400), math.log(2**1000, 2), math.fsum([0.1] * 10), math.fsum([1, 1e100, 1, -1e100]))
for f, args in [(math.exp, (1000,)), (math.pow, (10, 400)), (math.pow, (0, -1)), (math.log, (0,)), (math.acosh, (0.5,))]:
    try:
        f(*args)
    except (ValueError, OverflowError) as e:
        print(type(e).__name__, e)
