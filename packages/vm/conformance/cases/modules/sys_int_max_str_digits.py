import sys

print(sys.get_int_max_str_digits())
for f in [lambda: str(10**5000), lambda: '%d' % 10**5000, lambda: f'{10**5000}', lambda: repr([-10**4300])]:
    try:
        f()
    except ValueError as e:
        print(e)
print(len(str(10**4299)), f'{10**5000:x}'[:5])
sys.set_int_max_str_digits(1000)
try:
    str(10**1000)
except ValueError as e:
    print(e)
sys.set_int_max_str_digits(0)
print(len(str(10**5000)))
try:
    sys.set_int_max_str_digits(100)
except ValueError as e:
    print(e)
print(sys.intern('ab' + 'cd') is sys.intern('abc' + 'd'))
