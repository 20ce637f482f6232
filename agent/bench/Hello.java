/** The hello world of startup.sh. */
public final class Hello {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
