import threading

def countdown(n):
    while n > 0:
        n -= 1

threads = [threading.Thread(target=countdown, args=(200_000,)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("done")
