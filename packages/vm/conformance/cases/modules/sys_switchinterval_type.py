import sys

print(type(sys.getswitchinterval()))
try:
    sys.setswitchinterval(0)
except ValueError as e:
    print(e)
