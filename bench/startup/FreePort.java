/** Prints a free TCP port of 127.0.0.1 for the start-up benchmark (java FreePort.java). */
public class FreePort {
    public static void main(String[] args) throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            System.out.println(socket.getLocalPort());
        }
    }
}
