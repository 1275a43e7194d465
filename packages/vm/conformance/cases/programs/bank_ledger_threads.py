import threading

accounts = {"alice": 100, "bob": 50, "carol": 0}
lock = threading.Lock()
log = []

def transfer(src, dst, amount):
    with lock:
        if accounts[src] < amount:
            log.append(f"declined {src}->{dst} {amount}")
            return
        accounts[src] -= amount
        accounts[dst] += amount
        log.append(f"ok {src}->{dst} {amount}")

jobs = [("alice", "bob", 30), ("bob", "carol", 70), ("carol", "alice", 500), ("alice", "carol", 70)]
threads = [threading.Thread(target=transfer, args=job) for job in jobs]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sum(accounts.values()), len(log))
