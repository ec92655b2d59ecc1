"""Sign-in, sign-out and password change for staff accounts (citizens never sign in)."""
import flask_login
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app.auth import bp
from app.auth.access import current_user, home_of, safe_next, signed_in, signin_limits
from app.auth.forms import LoginForm, PasswordChangeForm
from app.extensions import db, limiter
from surveys.errors import WeakPassword, WrongPassword
from surveys.organization import accounts


@bp.route("/masuk", methods=["GET", "POST"])
@signin_limits
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = accounts.sign_in(db.session, form.username.data, form.password.data)
        db.session.commit()  # the audit row of the attempt, whether it succeeded or not
        if user is not None:
            _start_session(user)
            if user.must_change_password:
                flash(_("Administrator telah mengatur ulang kata sandi Anda. Pilih kata sandi "
                        "baru sebelum melanjutkan."))
                return redirect(url_for("auth.change_password"), code=303)
            flash(_("Anda masuk sebagai %(name)s.", name=user.display_name))
            return redirect(safe_next(request.args.get("next")) or home_of(user), code=303)
        form.password.errors.append(_("Nama pengguna atau kata sandi salah."))
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


# Pages a user whose password was reset may still open; everything else waits for a new one.
OPEN_BLUEPRINTS = {"public", "api"}
OPEN_ENDPOINTS = {"static", "auth.login", "auth.logout", "auth.change_password"}


@bp.before_app_request
def password_change_first():
    """After an admin's reset, a signed-in user sees only the password-change page (and can
    sign out) until they have chosen a new password."""
    if request.blueprint in OPEN_BLUEPRINTS or request.endpoint in OPEN_ENDPOINTS:
        return None
    user = current_user()
    if user is not None and user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None


def _start_session(user) -> None:
    """A fresh session (nothing kept from before sign-in) that expires after
    PERMANENT_SESSION_LIFETIME without use."""
    session.clear()
    session.permanent = True
    flask_login.login_user(user)


@bp.get("/akun")
@signed_in
def account():
    return render_template("auth/account.html", user=current_user())


@bp.post("/keluar")
def logout():
    """Signs out everywhere: every session of this user ends, not only this browser's."""
    user = current_user()
    if user is not None:
        accounts.end_sessions(db.session, user)
        db.session.commit()
    flask_login.logout_user()
    session.clear()
    return redirect(url_for("public.index"), code=303)


def _user_key() -> str:
    return f"password-change:{flask_login.current_user.get_id()}"


@bp.route("/kata-sandi", methods=["GET", "POST"])
@signed_in
@limiter.limit(lambda: current_app.config.get("RATELIMIT_PASSWORD_CHANGE", "10 per minute"),
               key_func=_user_key, methods=["POST"], deduct_when=lambda r: r.status_code == 400,
               scope="password-change")
def change_password():
    """The signed-in user's new password; every other session of theirs ends, this one stays."""
    user = current_user()
    forced = user.must_change_password  # a reset's temporary password: then on to their home
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        try:
            accounts.change_password(db.session, user, form.current.data, form.new.data)
        except WrongPassword:
            form.current.errors.append(_("Kata sandi sekarang salah."))
        except WeakPassword:
            form.new.errors.append(
                _("Kata sandi baru harus berbeda dari kata sandi sekarang.")
                if form.new.data == form.current.data else _("Kata sandi baru terlalu pendek."))
        else:
            db.session.commit()
            _start_session(user)
            flash(_("Kata sandi sudah diganti. Sesi Anda di perangkat lain sudah diakhiri."))
            return redirect(home_of(user) if forced else url_for("auth.account"), code=303)
        db.session.rollback()
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template("auth/password.html", form=form), status
