import threading
cond = threading.Condition()
items = []
done = []
def producer(n):
    for i in range(n):
        with cond:
            items.append(i)
            cond.notify()
def consumer(n):
    got = 0
    while got < n:
        with cond:
            while not items:
                cond.wait()
            items.pop(0)
            got += 1
    done.append(got)
c = threading.Thread(target=consumer, args=(50,))
p = threading.Thread(target=producer, args=(50,))
c.start()
p.start()
c.join()
p.join()
print("consumed", done, "left", items)
