import threading

def worker(name, results):
    results.append(f"{name} ran in {threading.current_thread().name}")

def main():
    results = []
    ts = [threading.Thread(target=worker, args=(f"job{i}", results), name=f"T{i}") for i in range(3)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for line in sorted(results):
        print(line)
    print("active after join:", threading.active_count())

if __name__ == "__main__":
    main()
