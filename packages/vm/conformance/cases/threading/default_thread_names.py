import threading

seen = []
def work():
    seen.append(threading.current_thread().name)

ts = [threading.Thread(target=work) for _ in range(3)]
print([t.name for t in ts])
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(seen))
named = threading.Thread(target=work, name="custom")
print(named.name)
