"""Latency of an I/O-bound thread next to CPU-bound threads (the convoy effect, bpo-7946).

python3 convoy.py ROUNDS CPU_THREADS INTERVAL_S...
The main thread makes ROUNDS short blocking calls (time.sleep(200 us), which releases the GIL like
any blocking I/O) while CPU_THREADS threads spin. When the call returns the thread must retake the
GIL from a spinning thread: with the new GIL that costs up to a switch interval. Prints the median
extra delay (elapsed minus the 200 us asked for) in microseconds per switch interval.
"""
import json
import statistics
import sys
import threading
import time

IO_S = 0.0002


def spin(stop):
    n = 0
    while not stop.is_set():
        n += 1


def measure(rounds, cpu_threads, interval):
    sys.setswitchinterval(interval)
    stop = threading.Event()
    spinners = [threading.Thread(target=spin, args=(stop,)) for _ in range(cpu_threads)]
    for t in spinners:
        t.start()
    time.sleep(0.01)
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        time.sleep(IO_S)
        samples.append((time.perf_counter() - t0 - IO_S) * 1e6)
    stop.set()
    for t in spinners:
        t.join()
    sys.setswitchinterval(0.005)
    return statistics.median(samples)


if __name__ == "__main__":
    rounds, cpu_threads = int(sys.argv[1]), int(sys.argv[2])
    intervals = [float(a) for a in sys.argv[3:]] or [0.005, 0.001, 0.0001]
    latency = {str(i): measure(rounds, cpu_threads, i) for i in intervals}
    print(json.dumps({"cpuThreads": cpu_threads, "latencyUs": latency}))
