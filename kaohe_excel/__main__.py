from kaohe_excel.cli import main

if __name__ == "__main__":
    main()
