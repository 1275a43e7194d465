import math

print(math.sqrt(16), math.floor(-2.5), math.ceil(2.1), math.pi, math.e)
print(math.gcd(48, 180), math.factorial(20), math.isqrt(10 ** 20 + 1), math.inf > 10 ** 300)
print(math.isclose(0.1 + 0.2, 0.3), math.fabs(-3), math.log(math.e), math.log2(1024), math.log10(1000))
print(math.trunc(-3.7), math.hypot(3, 4), math.copysign(2, -0.0), math.isnan(float("nan")))
try:
    math.sqrt(-1)
except ValueError as e:
    print(e)
