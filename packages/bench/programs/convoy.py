# convoy suite: an I/O-bound thread next to CPU_THREADS CPU-bound threads. The main thread makes
# ROUNDS short blocking calls (time.sleep releases the GIL like blocking I/O); each time the call
# returns it must retake the GIL from a spinning thread. Prints the median extra delay in
# microseconds. Runs unchanged under CPython and MiniPy (simulated and real threads).
import sys
import threading
import time

ROUNDS = 50
CPU_THREADS = 1
INTERVAL = 0.005
IO_S = 0.0002


stop = threading.Event()
running = 0


def spin():
    global running
    running += 1
    n = 0
    while not stop.is_set():
        n += 1


def main():
    sys.setswitchinterval(INTERVAL)
    spinners = [threading.Thread(target=spin) for _ in range(CPU_THREADS)]
    for t in spinners:
        t.start()
    # Real threads take a while to start (a worker each in gilkit): measure only once all spin.
    while running < CPU_THREADS:
        time.sleep(0.001)
    time.sleep(0.01)
    samples = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        time.sleep(IO_S)
        samples.append((time.perf_counter() - t0 - IO_S) * 1e6)
    stop.set()
    for t in spinners:
        t.join()
    samples.sort()
    print(f"{samples[len(samples) // 2]:.1f}")


main()
