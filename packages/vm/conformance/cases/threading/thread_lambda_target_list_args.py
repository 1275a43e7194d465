import threading

out = []
t = threading.Thread(target=lambda a, b: out.append(a + b), args=[2, 3])
t.start()
t.join()
t.join()
print(out)
