import threading

print(threading.current_thread().name)
names = []
def work():
    names.append(threading.current_thread().name)

ts = [threading.Thread(target=work, name="worker-" + str(i)) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(names))
print([t.name for t in ts])
