import sys

print(sys.getrecursionlimit())
sys.stdout.write("written directly\n")
sys.setrecursionlimit(2000)
print(sys.getrecursionlimit())
def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)
print(depth(1500))
