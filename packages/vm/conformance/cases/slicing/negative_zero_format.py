print(f"{-0.0:.1f}", "%.1f" % -0.0, str(-0.0), divmod(-0.0, 1), round(-0.4, 0))
