CONFIG = {"debug": False}
def toggle():
    CONFIG["debug"] = not CONFIG["debug"]
toggle()
print(CONFIG)
