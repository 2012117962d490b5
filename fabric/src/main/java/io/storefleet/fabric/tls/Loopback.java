package io.storefleet.fabric.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether an address a server binds to is reachable only from this machine. */
public final class Loopback {
  private Loopback() {}

  /** True for 127.0.0.0/8, ::1 and names resolving to them; an unknown name is not loopback. */
  public static boolean is(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
