print("start")
s = """never
closed
