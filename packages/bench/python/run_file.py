"""Times a whole Python program: python3 run_file.py PROGRAM REPEATS -> {"seconds": [...]}.

The program is compiled once and executed REPEATS times in a fresh globals dict, so the numbers are
the same work MiniPy does when it runs the same source (compile time excluded on both sides).
"""
import json
import sys
import time

path, repeats = sys.argv[1], int(sys.argv[2])
with open(path) as f:
    code = compile(f.read(), path, "exec")
seconds = []
for _ in range(repeats):
    g = {"__name__": "__bench__"}
    t0 = time.perf_counter()
    exec(code, g)
    seconds.append(time.perf_counter() - t0)
print(json.dumps({"seconds": seconds}))
