def main():
    print("in main")
    return 0

if __name__ == "__main__":
    print(__name__)
    main()
