import threading

def bad():
    raise ValueError("inside thread")

t = threading.Thread(target=bad)
t.start()
t.join()
print("main continues")
